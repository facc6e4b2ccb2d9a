namespace VoxCpm.Hub.Contracts;

/// <summary>Why a request was refused: the field at fault and a message naming it and its limit.</summary>
public sealed record ValidationError(string Field, string Message, string Code = ErrorCodes.InvalidRequest);
