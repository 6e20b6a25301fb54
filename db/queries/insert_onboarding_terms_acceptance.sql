INSERT INTO onboarding_terms_acceptances (onboarding_id, terms_version, accepted_by, accepted_role, portal_user,
                                          request_id)
VALUES ($1::uuid, $2, $3, $4, $5, $6)
