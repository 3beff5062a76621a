-- 留守流动儿童监测摸排报送: the rows that keep the row-level contract (the rest are quarantined).
{{ valid_rows('base_smart_assistance__child_survey_submissions') }}
