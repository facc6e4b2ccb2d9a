namespace VoxCpm.Hub.History;

/// <summary>Where the history API lives (<c>Http/HistoryEndpoints</c> maps it; history items link their audio under it).</summary>
internal static class HistoryRoute
{
    public const string Path = "/api/history";
}
