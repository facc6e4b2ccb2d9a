using System.Security.Cryptography;
using System.Text;
using Hangfire.Dashboard;
using Microsoft.Extensions.Options;

namespace VoxCpm.Hub.Jobs;

/// <summary>
/// Basic authentication for the Hangfire dashboard with TTS_ADMIN_USER / TTS_ADMIN_PASSWORD. Without both set,
/// nobody gets in. A refused request gets a Basic challenge; Hangfire answers 401.
/// </summary>
internal sealed class DashboardBasicAuthorization(IOptions<AdminOptions> admin) : IDashboardAsyncAuthorizationFilter
{
    public Task<bool> AuthorizeAsync(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var options = admin.Value;
        if (!options.DashboardEnabled)
        {
            return Task.FromResult(false);
        }

        if (IsAdministrator(http.Request.Headers.Authorization.ToString(), options.User!, options.Password!))
        {
            return Task.FromResult(true);
        }

        http.Response.Headers.WWWAuthenticate = "Basic realm=\"VoxCpm.Hub jobs\", charset=\"UTF-8\"";
        return Task.FromResult(false);
    }

    private static bool IsAdministrator(string header, string user, string password)
    {
        const string scheme = "Basic ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[scheme.Length..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = Encoding.UTF8.GetBytes($"{user}:{password}");
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(decoded), expected);
    }
}
