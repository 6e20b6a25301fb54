INSERT INTO onboardings (id, organisation, service_name, state,
                         planning_schedule, planning_production_plan, planning_service_description,
                         planning_expected_volume, planning_high_traffic_periods, planning_support_impact,
                         contacts, created_by)
VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12)
RETURNING id::text
