with

source as (

    select * from {{ source('gold', 'fct_quarantined_records') }}

),

renamed as (

    select
        quarantine_date,
        endpoint,
        reason,
        cast(records as {{ dbt.type_bigint() }}) as records

    from source

)

select * from renamed
