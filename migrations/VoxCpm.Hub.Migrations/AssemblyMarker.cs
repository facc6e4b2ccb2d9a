namespace VoxCpm.Hub.Migrations;

internal static class AssemblyMarker
{
}
