namespace VoxCpm.Engine;

internal static class AssemblyMarker
{
}
