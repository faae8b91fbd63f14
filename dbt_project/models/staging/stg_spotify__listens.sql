with

source as (

    select * from {{ source('gold', 'fct_listens') }}

),

renamed as (

    select
        user_key,
        played_at,
        play_date as listen_date,
        track_id,
        track_uri,
        track_name,
        cast(duration_ms as {{ dbt.type_bigint() }}) as duration_ms,
        -- What was really listened to: the export's ms_played where the play was imported, else
        -- the track's length (all the API tells).
        cast(ms_played as {{ dbt.type_bigint() }}) as ms_played,
        cast(coalesce(source.ms_played, source.duration_ms) as {{ dbt.type_bigint() }}) as ms_listened,
        source,
        skipped as is_skipped,
        reason_start,
        reason_end,
        shuffle as is_shuffle,
        explicit as is_explicit,
        is_local,
        album_id,
        primary_artist_id,
        context_type,
        context_uri,
        first_fetched_at,
        run_id

    from source

)

select * from renamed
