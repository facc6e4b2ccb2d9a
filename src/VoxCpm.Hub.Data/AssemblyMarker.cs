namespace VoxCpm.Hub.Data;

internal static class AssemblyMarker
{
}
