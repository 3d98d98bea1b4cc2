export { type ReceivedUpload, type ReceiveOptions, receiveUpload } from './receive-upload.js';
export { acceptUploads, readUploadBody, type UploadBody } from './upload-body.js';
