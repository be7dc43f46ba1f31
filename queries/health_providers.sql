-- The advice providers' codes and names (reference/health_providers.csv).
select provider, provider_name from health_providers order by provider
