using Microsoft.Extensions.Options;

namespace VoxCpm.Hub.Configuration;

/// <summary>
/// Validates the configuration a <typeparamref name="TOptions"/> is bound from. It re-reads the source values
/// rather than the bound options, because a value that fails to parse never reaches the options (they keep the
/// default), yet must stop the start.
/// </summary>
internal sealed class SettingsValidator<TOptions>(IConfiguration configuration) : IValidateOptions<TOptions>
    where TOptions : class, IBindsSettings<TOptions>, new()
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var settings = new SettingsReader(configuration);
        TOptions.Bind(settings, new TOptions());
        return settings.Errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(settings.Errors);
    }
}
