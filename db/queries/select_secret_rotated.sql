-- Did the issuance of secret $2 supersede another secret of client $1? (The issuing
-- statement sets superseded_at = now(), the new secret's created_at is the same now().)
SELECT EXISTS (
  SELECT 1 FROM client_secrets old JOIN client_secrets new ON new.secret_id = $2::uuid
  WHERE old.client_id = $1::uuid AND old.secret_id <> new.secret_id AND old.superseded_at = new.created_at)
