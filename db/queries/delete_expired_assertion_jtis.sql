DELETE FROM assertion_jtis WHERE expires_at < now()
