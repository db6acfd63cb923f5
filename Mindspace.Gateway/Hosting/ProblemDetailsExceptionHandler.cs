using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Orleans.Runtime;

namespace Mindspace.Gateway.Hosting;

/// <summary>
/// Turns every exception that reaches the top into an RFC 9457 problem document: bad requests
/// (malformed JSON, wrong types, oversized bodies — which request binding reports as
/// <see cref="BadHttpRequestException"/>) keep their 4xx status and a plain message; anything else,
/// including a <see cref="JsonException"/> thrown by our own code, is a 500 that says nothing of the
/// internals (the log has the details).
/// </summary>
internal sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problemDetails, ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                (StatusCodes.Status413PayloadTooLarge, "Request too large", "The request body is larger than this endpoint accepts."),
            BadHttpRequestException { InnerException: JsonException json } bad =>
                (bad.StatusCode, "Invalid request body", DescribeJsonError(json)),
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", bad.Message),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => (499, "Client closed request", null),
            OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException or TimeoutException =>
                (StatusCodes.Status503ServiceUnavailable, "Temporarily unavailable", "We couldn't reach the part of Mindspace that holds this data just now. Please try again in a moment."),
            _ => (StatusCodes.Status500InternalServerError, "Something went wrong on our side", "We couldn't complete this request. Please try again in a moment."),
        };

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "1";
            // Orleans says which grain method went unanswered (ids and a method name, never request data).
            GatewayLog.Unavailable(logger, $"{exception.GetType().Name}: {exception.Message}", httpContext.Request.Method, httpContext.Request.Path);
        }
        else if (status >= 500)
        {
            GatewayLog.UnhandledException(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>Says where the JSON went wrong without echoing the body (it may hold journal text).</summary>
    private static string DescribeJsonError(JsonException json)
        => json.Path is { Length: > 1 } path
            ? $"The request body is not valid: the value at '{path.TrimStart('$', '.')}' is missing, malformed or of the wrong type."
            : "The request body is not valid JSON.";
}
