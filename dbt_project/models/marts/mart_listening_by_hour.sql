{{ config(**day_partitioned('listen_date', cluster_by=['hour_of_day'])) }}

with

listens as (

    select * from {{ ref('stg_spotify__listens') }}
    {{ where_run_days('listen_date') }}

),

hours as (

    {% for hour in range(24) -%}
    select {{ hour }} as hour_of_day{% if not loop.last %} union all{% endif %}
    {% endfor %}

),

-- Every hour of every day with plays, so a quiet hour shows as 0 instead of missing.
day_hours as (

    select days.listen_date, hours.hour_of_day
    from (select distinct listen_date from listens) as days
    cross join hours

),

per_hour as (

    select
        listen_date,
        extract(hour from played_at) as hour_of_day,
        count(*) as plays,
        count(distinct user_key) as listeners,
        sum(ms_listened) as ms_listened

    from listens
    group by listen_date, extract(hour from played_at)

),

final as (

    select
        day_hours.listen_date,
        cast(day_hours.hour_of_day as {{ dbt.type_bigint() }}) as hour_of_day,
        cast({{ iso_weekday('day_hours.listen_date') }} as {{ dbt.type_bigint() }}) as iso_weekday,
        {{ weekday_name(iso_weekday('day_hours.listen_date')) }} as weekday_name,
        cast(coalesce(per_hour.plays, 0) as {{ dbt.type_bigint() }}) as plays,
        cast(coalesce(per_hour.listeners, 0) as {{ dbt.type_bigint() }}) as listeners,
        cast(coalesce(per_hour.ms_listened, 0) as {{ dbt.type_bigint() }}) as ms_listened

    from day_hours
    left join per_hour
        on day_hours.listen_date = per_hour.listen_date
        and day_hours.hour_of_day = per_hour.hour_of_day

)

select * from final
