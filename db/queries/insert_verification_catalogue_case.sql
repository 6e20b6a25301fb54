INSERT INTO verification_catalogue_cases (version, case_id, name, title, description, mandatory, feature)
VALUES ($1::int, $2::int, $3, $4, $5, $6::boolean, $7)
