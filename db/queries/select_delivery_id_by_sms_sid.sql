-- The delivery an SMS belongs to (callbacks without a delivery id).
SELECT id FROM deliveries WHERE sms_sid = $1
