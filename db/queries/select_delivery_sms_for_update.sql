-- A delivery's SMS step, locked for a status callback.
SELECT id, organisation, sms_state, sms_sid, mobile
FROM deliveries
WHERE id = $1
FOR UPDATE
