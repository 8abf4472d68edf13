"""Mail in: raw messages stored, then turned into tickets and replies (intake), brought in
from mailboxes (fetch), and looked after in the admin panel (admin_panel)."""
