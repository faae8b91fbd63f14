with

source as (

    select * from {{ source('gold', 'fct_poll_gaps') }}

),

renamed as (

    select
        gap_date,
        user_key,
        watermark as lost_after,
        oldest_in_page as lost_before,
        cast(lost_window_ms as {{ dbt.type_bigint() }}) as lost_window_ms,
        fetched_at as reported_at,
        run_id

    from source

)

select * from renamed
