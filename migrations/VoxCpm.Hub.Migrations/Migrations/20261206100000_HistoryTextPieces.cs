using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VoxCpm.Hub.Migrations
{
    /// <inheritdoc />
    public partial class HistoryTextPieces : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string[]>(
                name: "text_pieces",
                table: "syntheses",
                type: "text[]",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "text_pieces",
                table: "syntheses");
        }
    }
}
