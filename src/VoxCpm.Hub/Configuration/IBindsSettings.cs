namespace VoxCpm.Hub.Configuration;

/// <summary>
/// An options class that knows which TTS_* settings it reads. The same <see cref="Bind"/> fills the options and,
/// run again on a scratch instance, validates them (<see cref="SettingsValidator{TOptions}"/>), so parsing and
/// validation cannot disagree.
/// </summary>
internal interface IBindsSettings<in TOptions>
    where TOptions : class
{
    static abstract void Bind(SettingsReader settings, TOptions options);
}
