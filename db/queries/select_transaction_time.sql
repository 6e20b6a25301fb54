SELECT extract(epoch FROM now())::bigint
