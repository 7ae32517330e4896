"""Pages of the integrity registers: public boards, the officials' own pledges and declarations, and the
discipline office's review. Reads go through `integrity.selectors`, changes through `integrity.services`."""
