"""Proposals for a ticket: request type, category, handling units and related tickets.

Everything here is Qt-free and cheap to import; scikit-learn, numpy and jieba are imported
inside the functions that need them.  The modules:

- :mod:`.features`      text fields → sparse features (TF-IDF over character n-grams)
- :mod:`.model`         :class:`CategorySuggester`, :func:`train_from_records` (one model dir)
- :mod:`.versions`      ``models/category/<UTC timestamp>/`` + ``CURRENT``: :func:`current_model_dir`
- :mod:`.retrain`       :func:`retrain_from_db`, :func:`retrain_if_due` (the seat's own tickets)
- :mod:`.coldstart`     :class:`ColdStartSuggester` over catalogue records (no training data)
- :mod:`.request_type`  :class:`RequestTypeSuggester` (咨询/求助/投诉/举报/建议)
- :mod:`.units`         :func:`propose_units` (dispatch rule + jurisdiction + history)
- :mod:`.related`       :func:`find_related`, :func:`count_repeats` (duplicates, repeat complaints)
"""

from __future__ import annotations
