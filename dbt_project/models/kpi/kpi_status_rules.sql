-- 状态规则: the rules behind the two statuses of kpi_progress that are not a comparison with the
-- target, stated once for every reader (the provincial workbook, the dashboards), with the
-- small-cell threshold the build itself applied.
with

final as (

    select
        '无数据' as status,
        '比率类指标分母为0（无可统计对象）时，状态为“无数据”，不计为滞后。' as rule_zh
    union all
    select
        '不公开' as status,
        '关于儿童的区县数据，涉及儿童少于{{ var("small_cell_min_children") }}人的不公开'
        || '（数值、达成率与状态均不列出，仅一个区县不公开时再隐去一个区县，以免由全市合计反推）；'
        || '全市合计照常公布。' as rule_zh

)

select * from final
