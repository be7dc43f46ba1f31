-- One row: the first and last request received dates in the extract (the span the filters offer).
with final as (
    select min(received_date) as first_received, max(received_date) as last_received
    from ehcp_requests
)

select * from final
