"""The admin panel at /scp/admin/, assembled the way Django's own admin is.

This package is the panel's machinery and knows no domain app: each app declares its
sections (what is listed, the form, the writes and refusals) in its own `admin_panel`
module, found at start-up (helpdesk.apps), and registers them with `site`. The app that
owns the agents also says who may enter (`site.guard_with`); until one does, nobody may.
"""

from helpdesk.admin_panel.site import Column, Extra, Section, site

__all__ = ["Column", "Extra", "Section", "site"]
