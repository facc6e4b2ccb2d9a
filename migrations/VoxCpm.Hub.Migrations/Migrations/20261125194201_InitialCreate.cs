using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VoxCpm.Hub.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "voices",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    prompt_text = table.Column<string>(type: "text", nullable: false),
                    reference_audio = table.Column<byte[]>(type: "bytea", nullable: false),
                    sample_rate = table.Column<int>(type: "integer", nullable: false),
                    prompt_latents = table.Column<byte[]>(type: "bytea", nullable: true),
                    prompt_latents_shape = table.Column<int[]>(type: "integer[]", nullable: true),
                    prompt_latents_model_id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_voices", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "syntheses",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    request_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    text = table.Column<string>(type: "text", nullable: false),
                    mode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    cfg_value = table.Column<float>(type: "real", nullable: false),
                    inference_timesteps = table.Column<int>(type: "integer", nullable: false),
                    normalize = table.Column<bool>(type: "boolean", nullable: false),
                    denoise = table.Column<bool>(type: "boolean", nullable: false),
                    retry_badcase = table.Column<bool>(type: "boolean", nullable: false),
                    seed = table.Column<int>(type: "integer", nullable: true),
                    prompt_text = table.Column<string>(type: "text", nullable: true),
                    voice_id = table.Column<Guid>(type: "uuid", nullable: true),
                    entry_point = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    queue_wait_ms = table.Column<int>(type: "integer", nullable: true),
                    time_to_first_audio_ms = table.Column<int>(type: "integer", nullable: true),
                    total_ms = table.Column<int>(type: "integer", nullable: true),
                    audio_seconds = table.Column<double>(type: "double precision", nullable: true),
                    rtf = table.Column<double>(type: "double precision", nullable: true),
                    error_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    error_message = table.Column<string>(type: "text", nullable: true),
                    client = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    sample_rate = table.Column<int>(type: "integer", nullable: true),
                    audio = table.Column<byte[]>(type: "bytea", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_syntheses", x => x.id);
                    table.ForeignKey(
                        name: "fk_syntheses_voices_voice_id",
                        column: x => x.voice_id,
                        principalTable: "voices",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "ix_syntheses_created_at",
                table: "syntheses",
                column: "created_at",
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "ix_syntheses_request_id",
                table: "syntheses",
                column: "request_id");

            migrationBuilder.CreateIndex(
                name: "ix_syntheses_status",
                table: "syntheses",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "ix_syntheses_voice_id",
                table: "syntheses",
                column: "voice_id");

            migrationBuilder.CreateIndex(
                name: "ix_voices_name",
                table: "voices",
                column: "name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "syntheses");

            migrationBuilder.DropTable(
                name: "voices");
        }
    }
}
