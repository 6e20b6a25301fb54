UPDATE onboardings
SET service_name = $2, state = $3,
    planning_schedule = $4, planning_production_plan = $5, planning_service_description = $6,
    planning_expected_volume = $7, planning_high_traffic_periods = $8, planning_support_impact = $9,
    contacts = $10::jsonb, version = version + 1, updated_at = now()
WHERE id = $1::uuid AND version = $11::int
RETURNING id::text
