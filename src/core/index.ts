export * from './names/resource-names';
export * from './names/delivery-names';
