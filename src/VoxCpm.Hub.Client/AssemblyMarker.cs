namespace VoxCpm.Hub.Client;

internal static class AssemblyMarker
{
}
