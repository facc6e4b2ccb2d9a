namespace VoxCpm.Hub.Contracts;

internal static class AssemblyMarker
{
}
