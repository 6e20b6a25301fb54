DELETE FROM notification_contacts WHERE id = $1::uuid
