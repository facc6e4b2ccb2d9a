using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VoxCpm.Hub.Migrations
{
    /// <inheritdoc />
    public partial class VoxCpm2VoicesAndHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "voice_encodings",
                columns: table => new
                {
                    voice_id = table.Column<Guid>(type: "uuid", nullable: false),
                    model_id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    latents = table.Column<byte[]>(type: "bytea", nullable: false),
                    shape = table.Column<int[]>(type: "integer[]", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_voice_encodings", x => new { x.voice_id, x.model_id });
                    table.ForeignKey(
                        name: "fk_voice_encodings_voices_voice_id",
                        column: x => x.voice_id,
                        principalTable: "voices",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Latents saved before this migration move to their model's row, so no voice is encoded again.
            migrationBuilder.Sql(
                "INSERT INTO voice_encodings (voice_id, model_id, latents, shape, created_at) " +
                "SELECT id, prompt_latents_model_id, prompt_latents, prompt_latents_shape, created_at FROM voices " +
                "WHERE prompt_latents IS NOT NULL AND prompt_latents_model_id IS NOT NULL AND prompt_latents_shape IS NOT NULL");

            migrationBuilder.DropColumn(
                name: "prompt_latents",
                table: "voices");

            migrationBuilder.DropColumn(
                name: "prompt_latents_model_id",
                table: "voices");

            migrationBuilder.DropColumn(
                name: "prompt_latents_shape",
                table: "voices");

            migrationBuilder.AlterColumn<string>(
                name: "prompt_text",
                table: "voices",
                type: "text",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AddColumn<string>(
                name: "reference_wav_url",
                table: "syntheses",
                type: "character varying(2048)",
                maxLength: 2048,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "voice_description",
                table: "syntheses",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "reference_wav_url",
                table: "syntheses");

            migrationBuilder.DropColumn(
                name: "voice_description",
                table: "syntheses");

            // Reference-only voices (no transcript) cannot be represented before this migration.
            migrationBuilder.Sql("DELETE FROM voices WHERE prompt_text IS NULL");

            migrationBuilder.AlterColumn<string>(
                name: "prompt_text",
                table: "voices",
                type: "text",
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "text",
                oldNullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "prompt_latents",
                table: "voices",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "prompt_latents_model_id",
                table: "voices",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<int[]>(
                name: "prompt_latents_shape",
                table: "voices",
                type: "integer[]",
                nullable: true);

            migrationBuilder.Sql(
                "UPDATE voices v SET prompt_latents = e.latents, prompt_latents_shape = e.shape, prompt_latents_model_id = e.model_id " +
                "FROM (SELECT DISTINCT ON (voice_id) * FROM voice_encodings ORDER BY voice_id, created_at DESC) e WHERE e.voice_id = v.id");

            migrationBuilder.DropTable(
                name: "voice_encodings");
        }
    }
}
