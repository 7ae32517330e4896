"""Every state change of procurement, one function per action (DESIGN §8; STYLE "services")."""
