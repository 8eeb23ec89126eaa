import type { Attributes } from '@opentelemetry/api';
import type { tracing } from '@opentelemetry/sdk-node';
import { redactAttributes, SecretRedactingSpanProcessor } from '../../src/tracing/span-redaction';

const TOKEN = 'evt_9fQ2-secret-token';

describe('span redaction', () => {
  it('drops query strings, from the query attribute and from every URL attribute', () => {
    const attributes: Attributes = {
      'url.path': '/verify-email',
      'url.query': `token=${TOKEN}`,
      'url.full': `https://hooks.example.test/in?token=${TOKEN}`,
      'http.url': `http://gatehouse/reset-password?token=${TOKEN}`,
      'http.target': `/graphql?query={me{id}}&variables={"t":"${TOKEN}"}`,
      'http.response.status_code': 200,
    };
    redactAttributes(attributes);
    expect(attributes).toEqual({
      'url.path': '/verify-email',
      'url.full': 'https://hooks.example.test/in',
      'http.url': 'http://gatehouse/reset-password',
      'http.target': '/graphql',
      'http.response.status_code': 200,
    });
  });

  it('drops captured credential headers, whatever their case, and keeps the others', () => {
    const attributes: Attributes = {
      'http.request.header.authorization': [`Bearer ${TOKEN}`],
      'http.request.header.Cookie': [`session=${TOKEN}`],
      'http.response.header.set-cookie': [`session=${TOKEN}`],
      'http.request.header.x-gateway-secret': [TOKEN],
      'http.request.header.x-request-id': ['abc'],
    };
    redactAttributes(attributes);
    expect(attributes).toEqual({ 'http.request.header.x-request-id': ['abc'] });
  });

  it("drops the message of a GraphQL parse or validation exception, which can quote the document's literals", () => {
    const exception = () => ({
      name: 'exception',
      time: [0, 0] as [number, number],
      attributes: { 'exception.type': 'GraphQLError', 'exception.message': `Expected Int, found "${TOKEN}"`, 'exception.stacktrace': `GraphQLError: "${TOKEN}"` },
    });
    const span = (name: string) => ({ name, attributes: {}, events: [exception()] }) as unknown as tracing.ReadableSpan;
    const processor = new SecretRedactingSpanProcessor();
    const validate = span('graphql.validate');
    const resolve = span('graphql.resolve login');
    processor.onEnd(validate);
    processor.onEnd(resolve);
    expect(validate.events[0]!.attributes).toEqual({ 'exception.type': 'GraphQLError' });
    // A resolver's error is the service's own message (errors.ts), kept for whoever debugs it.
    expect(resolve.events[0]!.attributes).toEqual(exception().attributes);
  });
});
