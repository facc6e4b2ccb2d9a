using Hangfire;

namespace VoxCpm.Hub.Jobs;

internal static class JobDashboard
{
    public const string Path = "/hangfire";

    /// <summary>The administrator-only Hangfire dashboard at <c>/hangfire</c> (TTS_ADMIN_USER, TTS_ADMIN_PASSWORD).</summary>
    public static IEndpointRouteBuilder MapVoxCpmJobDashboard(this IEndpointRouteBuilder endpoints)
    {
        var services = endpoints.ServiceProvider;
        endpoints.MapHangfireDashboard(
            Path,
            new DashboardOptions
            {
                Authorization = [],
                AsyncAuthorization = [services.GetRequiredService<DashboardBasicAuthorization>()],
                DashboardTitle = "VoxCpm.Hub jobs",
            },
            services.GetRequiredService<JobStorage>());
        return endpoints;
    }
}
