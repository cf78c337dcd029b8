"""The shift lead's desk (presenters without widgets, views, and the hook into the window)."""

from agent_app.ui.lead_desk.desk import LeadDesk, LeadDeskHandle, attach_lead_desk

__all__ = ["LeadDesk", "LeadDeskHandle", "attach_lead_desk"]
