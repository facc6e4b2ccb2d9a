using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VoxCpm.Hub.Migrations
{
    /// <inheritdoc />
    public partial class HistorySegmentsAndWarnings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "attempts",
                table: "syntheses",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "segments",
                table: "syntheses",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string[]>(
                name: "warnings",
                table: "syntheses",
                type: "text[]",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "attempts",
                table: "syntheses");

            migrationBuilder.DropColumn(
                name: "segments",
                table: "syntheses");

            migrationBuilder.DropColumn(
                name: "warnings",
                table: "syntheses");
        }
    }
}
