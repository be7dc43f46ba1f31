-- One row per published file the build read: its release, whether it loaded, rows and any message.
with files as (
    select *
    from published_files
),

final as (
    select
        path,
        release,
        status,
        rows,
        message
    from files
    order by path
)

select * from final
