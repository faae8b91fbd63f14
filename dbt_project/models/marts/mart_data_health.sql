{#
  Completeness next to the numbers, per day: plays lost to Spotify's 50-play horizon (the
  extractor's gap reports), records bronze quarantined, and ids played that day that no look-up
  has enriched yet. An incremental run always writes a row for its day, even an empty one: a day
  with no plays is itself worth seeing.
#}
{{ config(**day_partitioned('health_date')) }}

with

listens as (

    select * from {{ ref('stg_spotify__listens') }}
    {{ where_run_days('listen_date') }}

),

poll_gaps as (

    select * from {{ ref('stg_spotify__poll_gaps') }}
    {{ where_run_days('gap_date') }}

),

quarantined as (

    select * from {{ ref('stg_spotify__quarantined_records') }}
    {{ where_run_days('quarantine_date') }}

),

tracks as (

    select * from {{ ref('stg_spotify__tracks') }}

),

albums as (

    select * from {{ ref('stg_spotify__albums') }}

),

artists as (

    select * from {{ ref('stg_spotify__artists') }}

),

track_artists as (

    select * from {{ ref('stg_spotify__track_artists') }}

),

days as (

    {% if is_incremental() -%}
    {% for day in run_partition_days() -%}
    select {{ date_literal(day) }} as health_date{% if not loop.last %} union all{% endif %}
    {% endfor %}
    {%- else -%}
    select distinct health_date from (
        select listen_date as health_date from listens
        union all
        select gap_date from poll_gaps
        union all
        select quarantine_date from quarantined
    ) as every_day
    {%- endif %}

),

plays_per_day as (

    select
        listen_date,
        count(*) as plays,
        count(distinct user_key) as listeners,
        -- What polling missed and the export filled in, and what both saw (see fct_listens).
        sum(case when source = 'imported' then 1 else 0 end) as plays_from_export_only,
        sum(case when source = 'polled' then 1 else 0 end) as plays_polled_only,
        sum(case when source = 'polled_and_imported' then 1 else 0 end) as plays_matched
    from listens
    group by listen_date

),

gaps_per_day as (

    select
        gap_date,
        count(*) as gap_reports,
        count(distinct user_key) as users_with_gaps,
        sum(lost_window_ms) as lost_window_ms
    from poll_gaps
    group by gap_date

),

quarantined_per_day as (

    select
        quarantine_date,
        sum(records) as quarantined_records
    from quarantined
    group by quarantine_date

),

played_tracks as (

    select distinct listen_date, track_id from listens where track_id is not null

),

played_albums as (

    select distinct listen_date, album_id from listens where album_id is not null

),

played_artists as (

    select distinct played_tracks.listen_date, track_artists.artist_id
    from played_tracks
    inner join track_artists on played_tracks.track_id = track_artists.track_id

),

track_coverage as (

    select
        played_tracks.listen_date,
        count(*) as track_ids,
        sum(case when tracks.looked_up_at is null then 1 else 0 end) as track_ids_not_looked_up
    from played_tracks
    left join tracks on played_tracks.track_id = tracks.track_id
    group by played_tracks.listen_date

),

album_coverage as (

    select
        played_albums.listen_date,
        count(*) as album_ids,
        sum(case when albums.looked_up_at is null then 1 else 0 end) as album_ids_not_looked_up
    from played_albums
    left join albums on played_albums.album_id = albums.album_id
    group by played_albums.listen_date

),

artist_coverage as (

    select
        played_artists.listen_date,
        count(*) as artist_ids,
        sum(case when artists.looked_up_at is null then 1 else 0 end) as artist_ids_not_looked_up
    from played_artists
    left join artists on played_artists.artist_id = artists.artist_id
    group by played_artists.listen_date

),

final as (

    select
        days.health_date,
        {% for column, cte, key in [
            ('plays', 'plays_per_day', 'listen_date'),
            ('listeners', 'plays_per_day', 'listen_date'),
            ('plays_from_export_only', 'plays_per_day', 'listen_date'),
            ('plays_polled_only', 'plays_per_day', 'listen_date'),
            ('plays_matched', 'plays_per_day', 'listen_date'),
            ('gap_reports', 'gaps_per_day', 'gap_date'),
            ('users_with_gaps', 'gaps_per_day', 'gap_date'),
            ('lost_window_ms', 'gaps_per_day', 'gap_date'),
            ('quarantined_records', 'quarantined_per_day', 'quarantine_date'),
            ('track_ids', 'track_coverage', 'listen_date'),
            ('track_ids_not_looked_up', 'track_coverage', 'listen_date'),
            ('album_ids', 'album_coverage', 'listen_date'),
            ('album_ids_not_looked_up', 'album_coverage', 'listen_date'),
            ('artist_ids', 'artist_coverage', 'listen_date'),
            ('artist_ids_not_looked_up', 'artist_coverage', 'listen_date'),
        ] -%}
        cast(coalesce({{ cte }}.{{ column }}, 0) as {{ dbt.type_bigint() }}) as {{ column }}{% if not loop.last %},{% endif %}
        {% endfor %}

    from days
    left join plays_per_day on days.health_date = plays_per_day.listen_date
    left join gaps_per_day on days.health_date = gaps_per_day.gap_date
    left join quarantined_per_day on days.health_date = quarantined_per_day.quarantine_date
    left join track_coverage on days.health_date = track_coverage.listen_date
    left join album_coverage on days.health_date = album_coverage.listen_date
    left join artist_coverage on days.health_date = artist_coverage.listen_date

)

select * from final
