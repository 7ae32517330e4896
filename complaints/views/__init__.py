"""Pages of the 吐槽区 (DESIGN §6), by audience:

- `intake`: the public form (web, app, QR), the intake desk's registration form, acknowledgements and
  QR posters;
- `receipt`: the anonymous reporter's receipt page;
- `officials`: queues, lists, the ticket page with its actions, the printable sheet and Excel exports;
- `disclosure`: the published answer lists and their publication.

Reads go through `complaints.selectors`, changes through `complaints.services`.
"""
