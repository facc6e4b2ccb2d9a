namespace VoxCpm.Hub.Voices;

/// <summary>Where the voices API lives (<c>Http/VoiceEndpoints</c> maps it; saved voices link their audio under it).</summary>
internal static class VoiceRoute
{
    public const string Path = "/api/voices";
}
