using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VoxCpm.Hub.Migrations
{
    /// <inheritdoc />
    public partial class HistoryJobsAndPromptUrl : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<long>(
                name: "seed",
                table: "syntheses",
                type: "bigint",
                nullable: true,
                oldClrType: typeof(int),
                oldType: "integer",
                oldNullable: true);

            migrationBuilder.AddColumn<string>(
                name: "job_id",
                table: "syntheses",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "prompt_wav_url",
                table: "syntheses",
                type: "character varying(2048)",
                maxLength: 2048,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_syntheses_job_id",
                table: "syntheses",
                column: "job_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_syntheses_job_id",
                table: "syntheses");

            migrationBuilder.DropColumn(
                name: "job_id",
                table: "syntheses");

            migrationBuilder.DropColumn(
                name: "prompt_wav_url",
                table: "syntheses");

            migrationBuilder.AlterColumn<int>(
                name: "seed",
                table: "syntheses",
                type: "integer",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "bigint",
                oldNullable: true);
        }
    }
}
