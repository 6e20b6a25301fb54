SELECT id FROM audit_checkpoints WHERE day = $1::date
