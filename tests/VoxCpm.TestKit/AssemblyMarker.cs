namespace VoxCpm.TestKit;

internal static class AssemblyMarker
{
}
