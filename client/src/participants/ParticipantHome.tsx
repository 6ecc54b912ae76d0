import { ParticipantApp } from '../participantApp/ParticipantApp';

/** The participant's home (/me): the participant app. */
export function ParticipantHome() {
  return <ParticipantApp />;
}
