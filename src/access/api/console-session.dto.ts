import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { CurrentKeyResponse } from './api-keys.dto.js';

/** Longer than any key Kontor issues; a longer "key" is a mistake, not a key. */
export const signInKeyLengthMax = 200;

export class ConsoleSignInRequest {
  @ApiProperty({ description: 'The API key to sign in with', example: 'kontor_…' })
  @IsString()
  @Length(1, signInKeyLengthMax)
  key!: string;
}

export class ConsoleSessionResponse extends CurrentKeyResponse {
  @ApiProperty({
    description:
      'The CSRF token of this session: send it as X-CSRF-Token with every request that changes state',
  })
  csrfToken!: string;

  @ApiProperty({
    description: 'When the session ends if unused (idle expiry)',
    format: 'date-time',
  })
  idleExpiresAt!: string;

  @ApiProperty({ description: 'When the session ends regardless of use', format: 'date-time' })
  expiresAt!: string;
}
