using VoxCpm.Hub.Configuration;

namespace VoxCpm.Hub.Jobs;

/// <summary>
/// TTS_ADMIN_USER and TTS_ADMIN_PASSWORD guard the Hangfire dashboard. Both empty means nobody may open it; one
/// without the other is a mistake and stops the start.
/// </summary>
internal sealed class AdminOptions : IBindsSettings<AdminOptions>
{
    public string? User { get; set; }

    public string? Password { get; set; }

    public bool DashboardEnabled => User is not null && Password is not null;

    public static void Bind(SettingsReader settings, AdminOptions options)
    {
        options.User = settings.OptionalString(SettingNames.AdminUser);
        options.Password = settings.OptionalString(SettingNames.AdminPassword);
        settings.Check(
            (options.User is null) == (options.Password is null),
            $"{SettingNames.AdminUser} and {SettingNames.AdminPassword} must be set together (leave both empty to deny the dashboard)");
    }
}
