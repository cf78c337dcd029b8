"""Request type (诉求类型) from the words of the caller: 咨询, 求助, 投诉, 举报, 建议.

Rules first, because they need no data and are explainable: each type has cue phrases with
weights; the type with the highest total wins, and the cues found are returned as the reason.
With no cue at all the prior applies (most calls to a 12345 hotline are consultations).  A
learned :class:`~.model.CategorySuggester` trained on the centre's tickets with the request
type as label can be passed in; its scores are then blended with the rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from agent_app.services.suggest.features import normalise

REQUEST_TYPES = ("咨询", "求助", "投诉", "举报", "建议")

CUES: dict[str, tuple[tuple[str, float], ...]] = {
    "咨询": (
        ("咨询", 3.0),
        ("请问", 2.0),
        ("想问", 2.0),
        ("问一下", 2.0),
        ("怎么办理", 2.5),
        ("如何办理", 2.5),
        ("需要什么材料", 2.5),
        ("在哪里办", 2.0),
        ("什么时候", 1.0),
        ("能不能", 0.8),
        ("是否", 0.8),
        ("政策", 1.0),
        ("多少钱", 1.0),
        ("标准是", 1.0),
        ("流程", 1.2),
        ("了解一下", 1.5),
        ("怎么申请", 2.5),
        ("吗？", 0.5),
        ("吗?", 0.5),
    ),
    "求助": (
        ("求助", 3.0),
        ("帮帮", 2.5),
        ("帮忙", 2.0),
        ("救助", 2.5),
        ("被困", 3.0),
        ("停水", 2.0),
        ("停电", 2.0),
        ("没有暖气", 1.5),
        ("不热", 1.0),
        ("漏水", 1.5),
        ("走失", 3.0),
        ("急需", 2.0),
        ("紧急", 1.5),
        ("无法出行", 1.5),
        ("困难", 1.2),
        ("没人管", 1.0),
        ("堵塞", 1.0),
        ("爆管", 2.5),
    ),
    "投诉": (
        ("投诉", 3.0),
        ("扰民", 2.5),
        ("噪音", 2.0),
        ("态度差", 2.5),
        ("态度恶劣", 2.5),
        ("不作为", 2.5),
        ("拖欠", 2.5),
        ("乱收费", 2.5),
        ("不退", 2.0),
        ("推诿", 2.0),
        ("多次反映", 1.5),
        ("一直没有解决", 1.5),
        ("不给解决", 1.5),
        ("强制", 1.0),
        ("欺骗", 1.5),
        ("不合理", 1.0),
        ("油烟", 1.5),
        ("施工", 1.0),
        ("占道", 1.2),
    ),
    "举报": (
        ("举报", 3.5),
        ("违法", 2.5),
        ("违规", 2.0),
        ("非法", 2.5),
        ("私搭乱建", 2.5),
        ("违建", 2.5),
        ("违章建筑", 2.5),
        ("偷排", 3.0),
        ("无证", 2.0),
        ("黑车", 2.5),
        ("套牌", 2.5),
        ("传销", 3.0),
        ("赌博", 3.0),
        ("售假", 2.5),
        ("偷税", 3.0),
        ("未纳税", 2.5),
        ("群租", 2.0),
        ("造假", 2.0),
    ),
    "建议": (
        ("建议", 3.0),
        ("希望增设", 2.5),
        ("希望增加", 2.5),
        ("提议", 3.0),
        ("能否增加", 2.0),
        ("应该增加", 2.0),
        ("呼吁", 2.0),
        ("意见", 1.0),
        ("增设", 1.5),
        ("优化", 1.2),
        ("改进", 1.2),
        ("完善", 1.0),
        ("可否", 1.0),
    ),
}

PRIOR = {"咨询": 0.8, "求助": 0.3, "投诉": 0.5, "举报": 0.2, "建议": 0.2}


class _Ranker(Protocol):
    def predict(self, texts: Sequence[str], top: int = 3) -> list[list[tuple[str, float]]]: ...


@dataclass(frozen=True)
class TypeProposal:
    """One request type with its score (0–1) and the cue phrases that support it."""

    value: str
    score: float
    cues: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        if not self.cues:
            return "未发现明显提示词，按常见比例推荐"
        return "提示词：" + "、".join(self.cues)


class RequestTypeSuggester:
    """Rule-based request-type scorer, optionally blended with a learned model."""

    def __init__(self, model: _Ranker | None = None, model_weight: float = 0.6) -> None:
        self._model = model
        self._model_weight = model_weight

    def suggest(self, text: str, top: int = 3) -> list[TypeProposal]:
        folded = normalise(text)
        raw = dict(PRIOR)
        cues: dict[str, list[str]] = {t: [] for t in REQUEST_TYPES}
        for kind, pairs in CUES.items():
            for phrase, weight in pairs:
                if phrase in folded:
                    raw[kind] += weight
                    cues[kind].append(phrase)
        norm = sum(raw.values())
        scores = {k: v / norm for k, v in raw.items()}
        if self._model is not None:
            learned = dict(self._model.predict([text], top=len(REQUEST_TYPES))[0])
            w = self._model_weight
            scores = {k: (1 - w) * v + w * learned.get(k, 0.0) for k, v in scores.items()}
        ranked = sorted(REQUEST_TYPES, key=lambda k: (-scores[k], REQUEST_TYPES.index(k)))
        return [TypeProposal(k, scores[k], tuple(cues[k])) for k in ranked[: max(1, top)]]
