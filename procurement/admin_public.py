"""Admin of procurement transparency: nothing to register. The notices board, the OCDS export and the
dossier read the other stages' tables (each registered by its own admin module) and keep no table of their own."""
