"""Role chosen at start: operator, shift lead or trainer."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from agent_app.domain.roles import Role


class RoleDialog(QDialog):
    CHOICES = (
        (Role.OPERATOR, QT_TRANSLATE_NOOP("RoleDialog", "话务员：接听来电、受理派单")),
        (Role.LEAD, QT_TRANSLATE_NOOP("RoleDialog", "班长：复核工单、退回改派、回访与三率")),
        (Role.TRAINER, QT_TRANSLATE_NOOP("RoleDialog", "培训师：演示模式，脚本来电与评分")),
    )

    def __init__(self, *, demo: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("选择角色"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("请选择本次登录的角色：")))
        self.group = QButtonGroup(self)
        for i, (role, text) in enumerate(self.CHOICES):
            button = QRadioButton(self.tr(str(text)))
            self.group.addButton(button, i)
            layout.addWidget(button)
            if (role is Role.TRAINER) == demo and (demo or role is Role.OPERATOR):
                button.setChecked(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def role(self) -> Role:
        return self.CHOICES[max(self.group.checkedId(), 0)][0]

    @classmethod
    def ask(cls, *, demo: bool) -> Role | None:
        """Show the dialog; tests monkeypatch this classmethod."""
        dialog = cls(demo=demo)
        return dialog.role() if dialog.exec() == QDialog.DialogCode.Accepted else None
