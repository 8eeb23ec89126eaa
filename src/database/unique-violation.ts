import { Prisma } from '../generated/prisma/client';

/** A write Prisma refused because a unique index already holds the value (P2002): the database decided a race. */
export const isUniqueViolation = (error: unknown): error is Prisma.PrismaClientKnownRequestError =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
