-- A push the server refuses for one case (outside the device's scope, say) no longer blocks the
-- device: that case's changes are set aside, kept, and reported. changes.pushed now reads
-- 0 waiting, 1 confirmed by the server, 2 refused by it (the reason in `refused`).
ALTER TABLE changes ADD COLUMN refused TEXT;
